import type { Shared } from "../../infra/shared";

/** Tasks per stage: production keeps two warm for failover. */
const SCALING = {
  dev: { min: 1, max: 2 },
  staging: { min: 1, max: 4 },
  production: { min: 2, max: 10 },
} as const;

export function billingLedger(shared: Shared) {
  const stage = $app.stage as keyof typeof SCALING;
  return new sst.aws.Service("BillingLedger", {
    cluster: shared.cluster,
    image: { context: "services/billing-ledger" },
    link: [shared.database, shared.nats, shared.alarmTopic],
    scaling: { min: SCALING[stage].min, max: SCALING[stage].max },
    loadBalancer: {
      rules: [{ listen: "443/https", forward: "8080/http" }],
      health: { "8080/http": { path: "/healthz", interval: "10 seconds" } },
    },
    environment: { SERVICE_NAME: "billing-ledger" },
  });
}
