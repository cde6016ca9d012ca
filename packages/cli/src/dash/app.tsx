import type { Inspector } from "@asynq-ts/core";
import { Box, useApp, useInput, useStdout } from "ink";
import { useRef, useState } from "react";
import { keyCommand, splitPresses } from "./keys.js";
import { loadScreen, rowIds, type ScreenData, screenKey } from "./load.js";
import { currentView, type Navigation, navigate, START, type View } from "./navigation.js";
import { usePoll } from "./use-poll.js";
import { HelpScreen, QueueScreen, QueuesScreen, StatusLine, TaskScreen } from "./views.js";

/** Props of the dashboard. */
export interface DashboardProps {
  readonly inspector: Inspector;
  /** Where it is connected (shown in the status line). */
  readonly label: string;
  readonly refreshMs: number;
}

// Lines the status line, queue header and tabs take above a task list.
const CHROME_LINES = 10;

/** `asynq dash`: queues → queue (tabs per state) → task, refreshed every `refreshMs`. */
export function Dashboard({ inspector, label, refreshMs }: DashboardProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const width = Math.max(40, (stdout.columns ?? 100) - 1);
  const pageSize = Math.max(5, (stdout.rows ?? 30) - CHROME_LINES);
  const [nav, setNav] = useState<Navigation>(START);
  const [tick, setTick] = useState(0);
  const view = currentView(nav);
  const polled = usePoll(
    () => loadScreen(inspector, view, pageSize),
    screenKey(view, pageSize),
    refreshMs,
    tick,
  );
  const rows = rowIds(polled.data);

  // Keys may arrive before React re-renders (and before useInput holds the new handler): the
  // handler reads the latest navigation and rows from refs, never from its own closure.
  const navRef = useRef(nav);
  const rowsRef = useRef(rows);
  navRef.current = nav;
  rowsRef.current = rows;

  useInput((input, key) => {
    let next = navRef.current;
    for (const press of splitPresses(input, key)) {
      const command = keyCommand(press.input, press.key, next);
      if (command === "quit") return exit();
      if (command === "refresh") setTick((t) => t + 1);
      else if (command !== null) next = navigate(next, command, rowsRef.current);
    }
    navRef.current = next;
    setNav(next);
  });

  return (
    <Box flexDirection="column">
      <StatusLine
        label={label}
        refreshMs={refreshMs}
        updatedAt={polled.updatedAt}
        error={polled.error}
      />
      {nav.help ? <HelpScreen /> : <Screen view={view} data={polled.data} width={width} />}
    </Box>
  );
}

function Screen({
  view,
  data,
  width,
}: {
  view: View;
  data: ScreenData | undefined;
  width: number;
}) {
  const now = Date.now();
  if (data === undefined) return null;
  if (view.kind === "queues" && data.kind === "queues") {
    return <QueuesScreen queues={data.queues} cursor={view.cursor} width={width} />;
  }
  if (view.kind === "queue" && data.kind === "queue") {
    return (
      <QueueScreen view={view} info={data.info} content={data.content} width={width} now={now} />
    );
  }
  if (view.kind === "task" && data.kind === "task")
    return <TaskScreen task={data.task} now={now} />;
  return null;
}
