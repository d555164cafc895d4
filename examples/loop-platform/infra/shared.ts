export interface Shared {
  cluster: sst.aws.Cluster;
  database: sst.aws.Aurora;
  nats: sst.Linkable<{ url: string }>;
  alarmTopic: sst.aws.SnsTopic;
}

export function createShared(): Shared {
  const vpc = new sst.aws.Vpc("PlatformVpc");
  return {
    cluster: new sst.aws.Cluster("PlatformCluster", { vpc }),
    database: new sst.aws.Aurora("PlatformDb", { engine: "postgres", vpc }),
    nats: new sst.Linkable("Nats", { properties: { url: "nats://nats.internal:4222" } }),
    alarmTopic: new sst.aws.SnsTopic("PlatformAlarms"),
  };
}
