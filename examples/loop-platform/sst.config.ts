/// <reference path="./.sst/platform/config.d.ts" />

export default $config({
  app(input) {
    return { name: "loop-platform", home: "aws", removal: input?.stage === "production" ? "retain" : "remove" };
  },
  async run() {
    const shared = await import("./infra/shared").then((m) => m.createShared());

    const billingLedger = await import("./services/billing-ledger/infra").then((m) =>
      m.billingLedger(shared),
    );
    const notifications = await import("./services/notifications/infra").then((m) =>
      m.notifications(shared),
    );

    return {
      billingLedgerService: billingLedger,
      notificationsService: notifications,
    };
  },
});
