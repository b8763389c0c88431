// A progress bar the CSP allows: the fill width is a CSS variable set through the CSSOM.
import { useRef } from 'react';
import { useCssVar } from '../hooks/useCssVar';

export function ProgressBar({ value, label, tone }: { value: number; label: string; tone?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useCssVar(ref, '--progress', `${value}%`);
  return (
    <div ref={ref} className={`progress ${tone ?? ''}`} role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={value}>
      <div className="progress-fill" />
    </div>
  );
}
