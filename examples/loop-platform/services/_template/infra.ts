import type { Shared } from "../../infra/shared";

// Rename to the camelCase of your folder: billing-ledger → billingLedger.
export function yourService(shared: Shared) {
  const production = $app.stage === "production";
  return new sst.aws.Service("<YourService>", {
    cluster: shared.cluster,
    image: { context: "services/<your-service>" },
    link: [shared.database, shared.nats, shared.alarmTopic],
    scaling: { min: production ? 2 : 1, max: production ? 4 : 2 },
    loadBalancer: {
      rules: [{ listen: "443/https", forward: "8080/http" }],
      health: { "8080/http": { path: "/healthz" } },
    },
  });
}
