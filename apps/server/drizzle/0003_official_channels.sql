CREATE TABLE "official_channels" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"value" text NOT NULL,
	"label" text DEFAULT '' NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "official_channels_kind_value_key" ON "official_channels" USING btree ("kind","value");--> statement-breakpoint
CREATE INDEX "official_channels_kind_idx" ON "official_channels" USING btree ("kind");