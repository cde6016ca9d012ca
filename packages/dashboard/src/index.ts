// Public API of @asynq-ts/dashboard: asynqmon's pages and JSON API over an Inspector.

export type * from "./api/wire-types.js";
export { createDashboard } from "./create-dashboard.js";
export type {
  AuthCheck,
  BasicAuth,
  BearerAuth,
  BytesFormatter,
  Dashboard,
  DashboardAuth,
  DashboardOptions,
  NextFunction,
  RedisInfoSource,
} from "./options.js";
export {
  type IoredisClientLike,
  type IoredisClusterLike,
  redisInfoSourceFromIoredis,
} from "./redis-info/ioredis-source.js";
export {
  type ServeDashboardOptions,
  type ServedDashboard,
  serveDashboard,
} from "./serve-dashboard.js";
