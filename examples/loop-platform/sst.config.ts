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
    // Either shape works: `.then((m) => m.x(shared))` above, or the module held in a variable.
    const notificationsInfra = await import("./services/notifications/infra.ts");
    const notifications = notificationsInfra.notifications(shared);

    return {
      billingLedgerService: billingLedger,
      notificationsService: notifications,
    };
  },
});
