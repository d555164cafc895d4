CREATE SCHEMA IF NOT EXISTS notifications;
CREATE TABLE notifications.deliveries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  template text NOT NULL,
  recipient text NOT NULL
);
