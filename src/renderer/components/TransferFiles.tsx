// The per-file list of one transfer, virtualised; Open / Show in folder for files we received.
import type { TransferSnapshot } from '../../shared/types';
import { act } from '../api';
import { errorText } from '../errorText';
import { formatBytes, percent } from '../format';
import { useT } from '../hooks/useT';
import { FileIcon, FolderIcon, OpenIcon } from './Icons';
import { VirtualList } from './VirtualList';

const ROW_HEIGHT = 36;

export function TransferFiles({ id, transfer }: { id: string; transfer: TransferSnapshot }) {
  const t = useT();
  const received = transfer.direction === 'in';
  return (
    <div id={id} className="transfer-files">
      <VirtualList
        count={transfer.files.length}
        rowHeight={ROW_HEIGHT}
        maxRows={8}
        renderRow={(i) => {
          const f = transfer.files[i];
          const done = f.state === 'completed';
          const fileLabel = (action: string): string => t('transfer.fileActionLabel', { action, file: f.path });
          return (
            <li key={f.index} className={`vrow file-row file-${f.state}`}>
              <FileIcon className="icon icon-sm muted" />
              <span className="file-name" title={f.path}>
                {f.path}
              </span>
              <span className="muted small nums">
                {done ? formatBytes(f.size) : `${percent(f.bytesDone, f.size)}% · ${formatBytes(f.size)}`}
              </span>
              <span className="file-state small" title={f.error?.message ?? (f.state === 'staged' ? t('file.stagedHint') : undefined)}>
                {f.error ? errorText(t, f.error) : t(`file.${f.state}`)}
              </span>
              {received && done && (
                <span className="file-actions">
                  <button type="button" className="icon-button" aria-label={fileLabel(t('transfer.open'))} title={t('transfer.open')} onClick={() => void act('openReceived', transfer.id, f.index)}>
                    <OpenIcon className="icon icon-sm" />
                  </button>
                  <button type="button" className="icon-button" aria-label={fileLabel(t('transfer.showInFolder'))} title={t('transfer.showInFolder')} onClick={() => void act('showReceivedInFolder', transfer.id, f.index)}>
                    <FolderIcon className="icon icon-sm" />
                  </button>
                </span>
              )}
            </li>
          );
        }}
      />
    </div>
  );
}
