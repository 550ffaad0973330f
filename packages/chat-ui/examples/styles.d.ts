/** Stylesheet imports (bundlers handle them; TypeScript only needs to know they exist). */
declare module '*.css';
