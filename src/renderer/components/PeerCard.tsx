// One device: name, type, state, trust. Drop files/folders on it to send; click to pick files.
import { memo, useRef, useState, type DragEvent } from 'react';
import { act } from '../api';
import { useT } from '../hooks/useT';
import { usePeers } from '../store/peers';
import { useToasts } from '../store/toasts';
import { CloseIcon, DeviceIcon, ShieldIcon, WarnIcon } from './Icons';

/** Paths of everything dropped; items without a real path (e.g. dragged text) are skipped. */
function droppedPaths(e: DragEvent): string[] {
  return [...e.dataTransfer.files].map((f) => window.ferry.getPathForFile(f)).filter((p) => p !== '');
}

const hasFiles = (e: DragEvent): boolean => [...e.dataTransfer.types].includes('Files');

export const PeerCard = memo(function PeerCard({ fingerprint }: { fingerprint: string }) {
  const peer = usePeers((s) => s.byFp[fingerprint]);
  const t = useT();
  const [over, setOver] = useState(false);
  // dragenter/dragleave fire for every child: count them so the highlight does not flicker.
  const depth = useRef(0);
  if (!peer) return null;

  const onDragEnter = (e: DragEvent): void => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth.current++;
    setOver(true);
  };
  const onDragOver = (e: DragEvent): void => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  };
  const onDragLeave = (): void => {
    depth.current = Math.max(0, depth.current - 1);
    if (depth.current === 0) setOver(false);
  };
  const onDrop = (e: DragEvent): void => {
    e.preventDefault();
    depth.current = 0;
    setOver(false);
    const paths = droppedPaths(e);
    if (!paths.length) {
      useToasts.getState().showInfo(t('peers.noPaths'));
      return;
    }
    void act('sendPaths', peer.fingerprint, paths);
  };

  const status = peer.online ? t('peers.online') : t('peers.offline');
  const type = t(`device.${peer.deviceType}`);
  const classes = ['peer-card', peer.online ? 'is-online' : 'is-offline', over ? 'is-over' : '', peer.fingerprintChanged ? 'is-changed' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <li className={classes} data-peer={peer.fingerprint} onDragEnter={onDragEnter} onDragOver={onDragOver} onDragLeave={onDragLeave} onDrop={onDrop}>
      <button
        type="button"
        className="peer-main"
        aria-label={t('peers.cardLabel', { name: peer.name, type, status })}
        title={t('peers.sendTo', { name: peer.name })}
        onClick={() => void act('pickAndSend', peer.fingerprint)}
      >
        <span className="peer-avatar">
          <DeviceIcon type={peer.deviceType} className="icon icon-lg" />
          <span className={`presence ${peer.online ? 'on' : 'off'}`} aria-hidden="true" />
        </span>
        <span className="peer-name">{peer.name}</span>
        <span className="peer-meta">
          {type} · {status}
        </span>
        <span className="peer-badges">
          {peer.trusted && (
            <span className="badge badge-ok">
              <ShieldIcon className="icon icon-xs" />
              {t('peers.trusted')}
            </span>
          )}
          {peer.fingerprintChanged && (
            <span className="badge badge-warn" title={t('peers.changedHelp')}>
              <WarnIcon className="icon icon-xs" />
              {t('peers.changed')}
            </span>
          )}
        </span>
        <span className="peer-drop" aria-hidden="true">
          {t('peers.dropHere')}
        </span>
      </button>
      {!peer.online && (
        <button type="button" className="icon-button peer-forget" aria-label={t('peers.forget', { name: peer.name })} onClick={() => void act('removePeer', peer.fingerprint)}>
          <CloseIcon className="icon icon-sm" />
        </button>
      )}
    </li>
  );
});
