import { useLayoutEffect, type RefObject } from 'react';

/** Sets a CSS custom property through the CSSOM, which the CSP allows (style attributes it does not). */
export function useCssVar(ref: RefObject<HTMLElement | null>, name: string, value: string): void {
  useLayoutEffect(() => {
    ref.current?.style.setProperty(name, value);
  }, [ref, name, value]);
}
