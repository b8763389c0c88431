// Vite bundles imported CSS into a file next to the script.
declare module '*.css';
