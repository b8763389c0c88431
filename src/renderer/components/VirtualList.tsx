// Renders only the rows in view (plus a margin), so 100k-entry lists stay smooth.
// Heights go through CSS variables set via the CSSOM: the CSP forbids style attributes.
import { useRef, useState, type ReactNode } from 'react';
import { useCssVar } from '../hooks/useCssVar';

interface Props {
  count: number;
  /** Fixed row height in px; must match the CSS of the rows. */
  rowHeight: number;
  /** Rows visible at once before the list scrolls. */
  maxRows: number;
  renderRow: (index: number) => ReactNode;
  className?: string;
  label?: string;
}

const OVERSCAN = 8;

export function VirtualList({ count, rowHeight, maxRows, renderRow, className, label }: Props) {
  const [scrollTop, setScrollTop] = useState(0);
  const outer = useRef<HTMLDivElement>(null);
  const inner = useRef<HTMLDivElement>(null);
  const viewRows = Math.min(count, maxRows);
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(count, Math.ceil((scrollTop + viewRows * rowHeight) / rowHeight) + OVERSCAN);
  useCssVar(outer, '--vl-height', `${viewRows * rowHeight}px`);
  useCssVar(inner, '--vl-total', `${count * rowHeight}px`);
  useCssVar(inner, '--vl-offset', `${first * rowHeight}px`);
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) rows.push(renderRow(i));
  return (
    <div ref={outer} className={`vlist ${className ?? ''}`} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} aria-label={label} role="group">
      <div ref={inner} className="vlist-inner">
        <ul className="vlist-rows">{rows}</ul>
      </div>
    </div>
  );
}
