import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNotify } from "../components/notices.js";
import { apiCall, errorMessage } from "./client.js";
import { type MutationRequest, summarize } from "./task-requests.js";

/** A mutation and the text shown when it succeeds. */
export interface LabelledRequest {
  readonly request: MutationRequest;
  /** e.g. "Archived selected"; the answer's counts are appended. */
  readonly label: string;
}

/**
 * Runs mutations: shows the outcome (or the server's error message) as a notice and refetches
 * every API query, so all visible lists reflect the change at once.
 */
export function useApiMutation(onSuccess?: () => void) {
  const client = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: ({ request }: LabelledRequest) =>
      apiCall<unknown>(request.method, request.path, request.body),
    onSuccess: (answer, { label }) => {
      notify("success", summarize(label, answer));
      onSuccess?.();
    },
    onError: (error) => notify("error", errorMessage(error)),
    onSettled: () => client.invalidateQueries({ queryKey: ["api"] }),
  });
}
