ALTER TABLE notifications.deliveries ADD COLUMN brand_id text NOT NULL;
ALTER TABLE notifications.deliveries ADD COLUMN status text NOT NULL DEFAULT 'pending';
