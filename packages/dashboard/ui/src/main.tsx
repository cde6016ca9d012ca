import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router";
import { ApiCallError } from "./api/client.js";
import { App } from "./app.js";
import { routerBasename } from "./base-path.js";
import { NoticeProvider } from "./components/notices.js";
import { applyTheme, loadSettings, SettingsProvider } from "./settings.js";
import "./styles.css";

// Before the first render, so the page never flashes in the wrong theme.
applyTheme(loadSettings().theme);

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx (unknown task, read-only, bad input) will not change on retry; network and 5xx may.
      retry: (failures, error) =>
        failures < 2 && !(error instanceof ApiCallError && error.status < 500),
      staleTime: 1000,
    },
  },
});

const root = document.getElementById("root");
if (root === null) throw new Error("#root missing from index.html");

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <SettingsProvider>
        <BrowserRouter basename={routerBasename()}>
          <NoticeProvider>
            <App />
          </NoticeProvider>
        </BrowserRouter>
      </SettingsProvider>
    </QueryClientProvider>
  </StrictMode>,
);
