import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type {
  DashboardConfigResponse,
  GetQueueResponse,
  ListGroupsResponse,
  ListQueueStatsResponse,
  ListQueuesResponse,
  ListSchedulerEnqueueEventsResponse,
  ListSchedulerEntriesResponse,
  ListServersResponse,
  ListTasksResponse,
  RedisInfoResponse,
  SearchTasksResponse,
  TaskJson,
} from "../../../src/api/wire-types.js";
import { useSettings } from "../settings.js";
import { apiGet, query, seg } from "./client.js";
import type { TaskState } from "./task-states.js";

/** Fallback when the config is not loaded yet. */
const DEFAULT_POLL_SECONDS = 8;

/** The dashboard's mount configuration; fetched once. */
export function useConfig() {
  return useQuery({
    queryKey: ["config"],
    queryFn: () => apiGet<DashboardConfigResponse>("/config"),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** The polling interval in milliseconds: the user's choice, else the server's default. */
export function usePollInterval(): number {
  const { settings } = useSettings();
  const config = useConfig();
  const seconds =
    settings.pollIntervalSeconds ?? config.data?.poll_interval_seconds ?? DEFAULT_POLL_SECONDS;
  return seconds * 1000;
}

/**
 * A polled GET of `path`; `enabled: false` suspends it. `keepPrevious` keeps showing the last
 * answer while a changed path (next page, new filter) loads, so tables do not flash empty.
 */
function usePolled<T>(path: string, enabled = true, keepPrevious = false) {
  const refetchInterval = usePollInterval();
  return useQuery({
    queryKey: ["api", path],
    queryFn: () => apiGet<T>(path),
    refetchInterval,
    enabled,
    ...(keepPrevious ? { placeholderData: keepPreviousData } : {}),
  });
}

/** All queues with their current state. */
export function useQueues() {
  return usePolled<ListQueuesResponse>("/queues");
}

/** 90 days of counters per queue. */
export function useQueueStats() {
  return usePolled<ListQueueStatsResponse>("/queue_stats");
}

/** One queue now and its recent days. */
export function useQueue(queue: string) {
  return usePolled<GetQueueResponse>(`/queues/${seg(queue)}`);
}

/** A queue's aggregation groups. */
export function useGroups(queue: string, enabled: boolean) {
  return usePolled<ListGroupsResponse>(`/queues/${seg(queue)}/groups`, enabled);
}

/** What the task table asks for. */
export interface TaskListRequest {
  readonly queue: string;
  readonly state: TaskState;
  /** Aggregating tasks only: the selected group ("" = none yet). */
  readonly group: string;
  readonly page: number;
  readonly size: number;
  readonly typeFilter: string;
  readonly payloadFilter: string;
}

function taskListPath(r: TaskListRequest): string {
  const filtered = r.typeFilter !== "" || r.payloadFilter !== "";
  if (filtered) {
    const params = { state: r.state, type: r.typeFilter, payload: r.payloadFilter };
    const group = r.state === "aggregating" ? r.group : undefined;
    return `/queues/${seg(r.queue)}/search${query({ ...params, group, page: r.page, size: r.size })}`;
  }
  const list =
    r.state === "aggregating" ? `groups/${seg(r.group)}/aggregating_tasks` : `${r.state}_tasks`;
  return `/queues/${seg(r.queue)}/${list}${query({ page: r.page, size: r.size })}`;
}

/** A page of a queue's tasks in one state, filtered through the search API when asked. */
export function useTaskList(request: TaskListRequest) {
  const enabled = request.state !== "aggregating" || request.group !== "";
  return usePolled<ListTasksResponse & Partial<SearchTasksResponse>>(
    taskListPath(request),
    enabled,
    true,
  );
}

/** One task with every field. */
export function useTask(queue: string, taskId: string) {
  return usePolled<TaskJson>(`/queues/${seg(queue)}/tasks/${seg(taskId)}`);
}

/** Live servers. */
export function useServers() {
  return usePolled<ListServersResponse>("/servers");
}

/** Registered scheduler entries. */
export function useSchedulerEntries() {
  return usePolled<ListSchedulerEntriesResponse>("/scheduler_entries");
}

/** Enqueue history of one scheduler entry. */
export function useEnqueueEvents(entryId: string) {
  return usePolled<ListSchedulerEnqueueEventsResponse>(
    `/scheduler_entries/${seg(entryId)}/enqueue_events`,
  );
}

/** Redis INFO and cluster layout; only when the server has a source. */
export function useRedisInfo(enabled: boolean) {
  return usePolled<RedisInfoResponse>("/redis_info", enabled);
}
