import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const uiDir = fileURLToPath(new URL(".", import.meta.url));

// Relative asset URLs ("./assets/…") resolve against the <base href> the server injects, so one
// build works under any mount path.
export default defineConfig({
  root: uiDir,
  base: "./",
  plugins: [react()],
  build: {
    outDir: "../dist/ui",
    emptyOutDir: true,
    // Keeps the CSP simple: no inline module preload polyfill script.
    modulePreload: { polyfill: false },
  },
});
