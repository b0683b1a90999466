// Stylesheets imported for their side effect: esbuild bundles them into dist/web/dashboard.css.
declare module '*.css';
