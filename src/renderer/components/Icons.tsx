// Inline SVG icons (no icon font, nothing remote). Decorative: hidden from screen readers.
import type { ReactElement } from 'react';
import type { DeviceType } from '../../shared/types';

type P = { className?: string };
const svg = (children: ReactElement | ReactElement[], className = 'icon'): ReactElement => (
  <svg className={className} viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
    {children}
  </svg>
);

export const DesktopIcon = ({ className }: P) =>
  svg([<rect key="a" x="3" y="4" width="18" height="12" rx="2" />, <path key="b" d="M8 20h8M12 16v4" />], className);
export const LaptopIcon = ({ className }: P) =>
  svg([<rect key="a" x="5" y="5" width="14" height="10" rx="1.5" />, <path key="b" d="M2.5 19h19l-2-4h-15z" />], className);
export const ServerIcon = ({ className }: P) =>
  svg(
    [
      <rect key="a" x="4" y="3.5" width="16" height="7" rx="1.5" />,
      <rect key="b" x="4" y="13.5" width="16" height="7" rx="1.5" />,
      <path key="c" d="M8 7h.01M8 17h.01" />,
    ],
    className,
  );

export function DeviceIcon({ type, className }: P & { type: DeviceType }) {
  if (type === 'laptop') return <LaptopIcon className={className} />;
  if (type === 'server') return <ServerIcon className={className} />;
  return <DesktopIcon className={className} />;
}

export const UpIcon = ({ className }: P) => svg(<path d="M12 19V5M5 12l7-7 7 7" />, className);
export const DownIcon = ({ className }: P) => svg(<path d="M12 5v14M5 12l7 7 7-7" />, className);
export const PauseIcon = ({ className }: P) => svg(<path d="M9 5v14M15 5v14" />, className);
export const PlayIcon = ({ className }: P) => svg(<path d="M7 4.5v15l12-7.5z" />, className);
export const CloseIcon = ({ className }: P) => svg(<path d="M6 6l12 12M18 6L6 18" />, className);
export const RetryIcon = ({ className }: P) => svg([<path key="a" d="M20 11a8 8 0 1 0-2.3 5.7" />, <path key="b" d="M20 4v7h-7" />], className);
export const ShieldIcon = ({ className }: P) => svg([<path key="a" d="M12 3l8 3v6c0 4.5-3.4 8-8 9-4.6-1-8-4.5-8-9V6z" />, <path key="b" d="M8.5 12l2.5 2.5 4.5-5" />], className);
export const WarnIcon = ({ className }: P) => svg([<path key="a" d="M12 3l10 18H2z" />, <path key="b" d="M12 10v5M12 18h.01" />], className);
export const GearIcon = ({ className }: P) =>
  svg(
    [
      <circle key="a" cx="12" cy="12" r="3" />,
      <path key="b" d="M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z" />,
    ],
    className,
  );
export const BackIcon = ({ className }: P) => svg(<path d="M15 18l-6-6 6-6" />, className);
export const ChevronIcon = ({ className }: P) => svg(<path d="M9 6l6 6-6 6" />, className);
export const FolderIcon = ({ className }: P) => svg(<path d="M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z" />, className);
export const FileIcon = ({ className }: P) => svg([<path key="a" d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z" />, <path key="b" d="M14 3v5h5" />], className);
export const PlusIcon = ({ className }: P) => svg(<path d="M12 5v14M5 12h14" />, className);
export const OpenIcon = ({ className }: P) => svg([<path key="a" d="M14 4h6v6" />, <path key="b" d="M20 4l-9 9" />, <path key="c" d="M18 14v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5" />], className);
export const WifiIcon = ({ className }: P) =>
  svg([<path key="a" d="M2 8.5a15 15 0 0 1 20 0" />, <path key="b" d="M5.5 12a10 10 0 0 1 13 0" />, <path key="c" d="M9 15.5a5 5 0 0 1 6 0" />, <path key="d" d="M12 19h.01" />], className);
export const LogoIcon = ({ className }: P) =>
  svg([<path key="a" d="M3 15.5c2 1.7 4 1.7 6 0s4-1.7 6 0 4 1.7 6 0" />, <path key="b" d="M5 12l1.5-6h11L19 12" />, <path key="c" d="M12 3v3" />], className);
