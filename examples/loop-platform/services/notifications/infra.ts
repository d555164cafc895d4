import type { Shared } from "../../infra/shared";

export function notifications(shared: Shared) {
  const production = $app.stage === "production";
  return new sst.aws.Service("Notifications", {
    cluster: shared.cluster,
    image: { context: "services/notifications" },
    link: [shared.database, shared.nats, shared.alarmTopic],
    scaling: {
      min: production ? 2 : 1,
      max: production ? 6 : 2,
    },
    loadBalancer: {
      rules: [{ listen: "443/https", forward: "8080/http" }],
      health: { "8080/http": { path: "/healthz" } },
    },
  });
}
