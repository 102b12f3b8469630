using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Mailroom.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "cluster_secrets",
                columns: table => new
                {
                    name = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    protected_value = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cluster_secrets", x => x.name);
                });

            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    friendly_name = table.Column<string>(type: "text", nullable: true),
                    xml = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_data_protection_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "event_cursors",
                columns: table => new
                {
                    name = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    position = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_event_cursors", x => x.name);
                });

            migrationBuilder.CreateTable(
                name: "events",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    organization_id = table.Column<long>(type: "bigint", nullable: false),
                    type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    mailbox_id = table.Column<long>(type: "bigint", nullable: true),
                    message_id = table.Column<long>(type: "bigint", nullable: true),
                    thread_id = table.Column<long>(type: "bigint", nullable: true),
                    contact_id = table.Column<long>(type: "bigint", nullable: true),
                    outbox_id = table.Column<long>(type: "bigint", nullable: true),
                    data = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "mailbox_leases",
                columns: table => new
                {
                    mailbox_id = table.Column<long>(type: "bigint", nullable: false),
                    owner = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    token = table.Column<long>(type: "bigint", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_mailbox_leases", x => x.mailbox_id);
                });

            migrationBuilder.CreateTable(
                name: "organizations",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    match_address_aliases = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_organizations", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "raw_mime",
                columns: table => new
                {
                    sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    size = table.Column<long>(type: "bigint", nullable: false),
                    data = table.Column<byte[]>(type: "bytea", nullable: false)
                        .Annotation("Npgsql:Compression:", "lz4")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_raw_mime", x => x.sha256);
                });

            migrationBuilder.CreateTable(
                name: "api_keys",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    organization_id = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    prefix = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_used_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_api_keys", x => x.id);
                    table.ForeignKey(
                        name: "fk_api_keys_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "contacts",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    organization_id = table.Column<long>(type: "bigint", nullable: false),
                    external_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_contacts", x => x.id);
                    table.ForeignKey(
                        name: "fk_contacts_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "mailboxes",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    organization_id = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    protocol = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    host = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    port = table.Column<int>(type: "integer", nullable: false),
                    security = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    user_name = table.Column<string>(type: "text", nullable: false),
                    address = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    allow_plaintext = table.Column<bool>(type: "boolean", nullable: false),
                    trusted_ca_file = table.Column<string>(type: "text", nullable: true),
                    service_url = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    ews_authentication = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    sync_token = table.Column<string>(type: "text", nullable: true),
                    protected_secret = table.Column<string>(type: "text", nullable: false),
                    oauth_provider = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    protected_access_token = table.Column<string>(type: "text", nullable: true),
                    protected_refresh_token = table.Column<string>(type: "text", nullable: true),
                    token_expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    scope = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false, defaultValue: "All"),
                    smtp_host = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    smtp_port = table.Column<int>(type: "integer", nullable: true),
                    smtp_security = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    smtp_user_name = table.Column<string>(type: "text", nullable: true),
                    sent_filing = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    paused = table.Column<bool>(type: "boolean", nullable: false),
                    state = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    last_error = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_synced_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_mailboxes", x => x.id);
                    table.ForeignKey(
                        name: "fk_mailboxes_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "users",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    organization_id = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    normalized_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    password_hash = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    external_issuer = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    external_subject = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    role = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    security_stamp = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    failed_sign_ins = table.Column<int>(type: "integer", nullable: false),
                    locked_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_sign_in_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_users", x => x.id);
                    table.ForeignKey(
                        name: "fk_users_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "webhook_subscriptions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    organization_id = table.Column<long>(type: "bigint", nullable: false),
                    url = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    protected_secret = table.Column<string>(type: "text", nullable: false),
                    event_types = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    start_event_id = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_subscriptions", x => x.id);
                    table.ForeignKey(
                        name: "fk_webhook_subscriptions_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "contact_addresses",
                columns: table => new
                {
                    contact_id = table.Column<long>(type: "bigint", nullable: false),
                    address_normalized = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    organization_id = table.Column<long>(type: "bigint", nullable: false),
                    address_key = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_contact_addresses", x => new { x.contact_id, x.address_normalized });
                    table.ForeignKey(
                        name: "fk_contact_addresses_contacts_contact_id",
                        column: x => x.contact_id,
                        principalTable: "contacts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "folders",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    mailbox_id = table.Column<long>(type: "bigint", nullable: false),
                    path = table.Column<string>(type: "text", nullable: false),
                    role = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    uid_validity = table.Column<long>(type: "bigint", nullable: true),
                    uid_next = table.Column<long>(type: "bigint", nullable: true),
                    highest_mod_seq = table.Column<long>(type: "bigint", nullable: true),
                    last_synced_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    remote_count = table.Column<int>(type: "integer", nullable: true),
                    last_error = table.Column<string>(type: "text", nullable: true),
                    last_error_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    gmail_label = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    remote_id = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    sync_token = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_folders", x => x.id);
                    table.ForeignKey(
                        name: "fk_folders_mailboxes_mailbox_id",
                        column: x => x.mailbox_id,
                        principalTable: "mailboxes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "outbox",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    mailbox_id = table.Column<long>(type: "bigint", nullable: false),
                    idempotency_key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    message_id_header = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    sender = table.Column<string>(type: "text", nullable: false),
                    recipients = table.Column<string>(type: "text", nullable: false),
                    subject = table.Column<string>(type: "text", nullable: false),
                    raw = table.Column<byte[]>(type: "bytea", nullable: false),
                    international = table.Column<bool>(type: "boolean", nullable: false),
                    state = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    claim_token = table.Column<Guid>(type: "uuid", nullable: true),
                    lease_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_code = table.Column<int>(type: "integer", nullable: true),
                    last_reply = table.Column<string>(type: "text", nullable: true),
                    sent_copy = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    sent_copy_error = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox", x => x.id);
                    table.ForeignKey(
                        name: "fk_outbox_mailboxes_mailbox_id",
                        column: x => x.mailbox_id,
                        principalTable: "mailboxes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "threads",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    mailbox_id = table.Column<long>(type: "bigint", nullable: false),
                    subject = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    message_count = table.Column<int>(type: "integer", nullable: false),
                    first_date = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_date = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_threads", x => x.id);
                    table.ForeignKey(
                        name: "fk_threads_mailboxes_mailbox_id",
                        column: x => x.mailbox_id,
                        principalTable: "mailboxes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "webhook_deliveries",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    subscription_id = table.Column<long>(type: "bigint", nullable: false),
                    organization_id = table.Column<long>(type: "bigint", nullable: false),
                    event_id = table.Column<long>(type: "bigint", nullable: false),
                    event_type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    state = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    retry_since = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    claim_token = table.Column<Guid>(type: "uuid", nullable: true),
                    lease_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_status_code = table.Column<int>(type: "integer", nullable: true),
                    last_error = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_deliveries", x => x.id);
                    table.ForeignKey(
                        name: "fk_webhook_deliveries_webhook_subscriptions_subscription_id",
                        column: x => x.subscription_id,
                        principalTable: "webhook_subscriptions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "skipped_memberships",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    folder_id = table.Column<long>(type: "bigint", nullable: false),
                    uid = table.Column<long>(type: "bigint", nullable: false),
                    flags = table.Column<int>(type: "integer", nullable: false),
                    keywords = table.Column<string>(type: "text", nullable: false),
                    skipped_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_skipped_memberships", x => x.id);
                    table.ForeignKey(
                        name: "fk_skipped_memberships_folders_folder_id",
                        column: x => x.folder_id,
                        principalTable: "folders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "messages",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    mailbox_id = table.Column<long>(type: "bigint", nullable: false),
                    identity_key = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    raw_sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    message_id_header = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    provider_thread_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    in_reply_to = table.Column<string>(type: "text", nullable: true),
                    reference_ids = table.Column<string>(type: "text", nullable: true),
                    subject = table.Column<string>(type: "text", nullable: true),
                    date = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    internal_date = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    from_summary = table.Column<string>(type: "text", nullable: true),
                    to_summary = table.Column<string>(type: "text", nullable: true),
                    text_body = table.Column<string>(type: "text", nullable: true)
                        .Annotation("Npgsql:Compression:", "lz4"),
                    html_body = table.Column<string>(type: "text", nullable: true)
                        .Annotation("Npgsql:Compression:", "lz4"),
                    snippet = table.Column<string>(type: "text", nullable: false),
                    has_attachments = table.Column<bool>(type: "boolean", nullable: false),
                    problems = table.Column<string>(type: "text", nullable: true),
                    calendar_events = table.Column<string>(type: "text", nullable: true),
                    thread_id = table.Column<long>(type: "bigint", nullable: true),
                    thread_reason = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    thread_subject = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    size = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_messages", x => x.id);
                    table.ForeignKey(
                        name: "fk_messages_mailboxes_mailbox_id",
                        column: x => x.mailbox_id,
                        principalTable: "mailboxes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_messages_raw_mime_raw_sha256",
                        column: x => x.raw_sha256,
                        principalTable: "raw_mime",
                        principalColumn: "sha256",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_messages_threads_thread_id",
                        column: x => x.thread_id,
                        principalTable: "threads",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "thread_keys",
                columns: table => new
                {
                    mailbox_id = table.Column<long>(type: "bigint", nullable: false),
                    key = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    thread_id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_thread_keys", x => new { x.mailbox_id, x.key });
                    table.ForeignKey(
                        name: "fk_thread_keys_threads_thread_id",
                        column: x => x.thread_id,
                        principalTable: "threads",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "webhook_attempts",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    delivery_id = table.Column<long>(type: "bigint", nullable: false),
                    attempt = table.Column<int>(type: "integer", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    duration_ms = table.Column<int>(type: "integer", nullable: false),
                    succeeded = table.Column<bool>(type: "boolean", nullable: false),
                    status_code = table.Column<int>(type: "integer", nullable: true),
                    error = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_attempts", x => x.id);
                    table.ForeignKey(
                        name: "fk_webhook_attempts_webhook_deliveries_delivery_id",
                        column: x => x.delivery_id,
                        principalTable: "webhook_deliveries",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "attachments",
                columns: table => new
                {
                    message_id = table.Column<long>(type: "bigint", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    file_name = table.Column<string>(type: "text", nullable: true),
                    content_type = table.Column<string>(type: "text", nullable: false),
                    size = table.Column<long>(type: "bigint", nullable: false),
                    content_id = table.Column<string>(type: "text", nullable: true),
                    is_inline = table.Column<bool>(type: "boolean", nullable: false),
                    part_path = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_attachments", x => new { x.message_id, x.position });
                    table.ForeignKey(
                        name: "fk_attachments_messages_message_id",
                        column: x => x.message_id,
                        principalTable: "messages",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "folder_memberships",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    folder_id = table.Column<long>(type: "bigint", nullable: false),
                    message_id = table.Column<long>(type: "bigint", nullable: false),
                    uid = table.Column<long>(type: "bigint", nullable: false),
                    flags = table.Column<int>(type: "integer", nullable: false),
                    keywords = table.Column<string>(type: "text", nullable: false),
                    raw_sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    remote_id = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_folder_memberships", x => x.id);
                    table.ForeignKey(
                        name: "fk_folder_memberships_folders_folder_id",
                        column: x => x.folder_id,
                        principalTable: "folders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_folder_memberships_messages_message_id",
                        column: x => x.message_id,
                        principalTable: "messages",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_folder_memberships_raw_mime_raw_sha256",
                        column: x => x.raw_sha256,
                        principalTable: "raw_mime",
                        principalColumn: "sha256",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "message_addresses",
                columns: table => new
                {
                    message_id = table.Column<long>(type: "bigint", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    role = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    name = table.Column<string>(type: "text", nullable: true),
                    address = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    address_normalized = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    address_key = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_message_addresses", x => new { x.message_id, x.position });
                    table.ForeignKey(
                        name: "fk_message_addresses_messages_message_id",
                        column: x => x.message_id,
                        principalTable: "messages",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "message_contacts",
                columns: table => new
                {
                    contact_id = table.Column<long>(type: "bigint", nullable: false),
                    message_id = table.Column<long>(type: "bigint", nullable: false),
                    roles = table.Column<int>(type: "integer", nullable: false),
                    mailbox_id = table.Column<long>(type: "bigint", nullable: false),
                    sort_date = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    dedupe_key = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_message_contacts", x => new { x.contact_id, x.message_id });
                    table.ForeignKey(
                        name: "fk_message_contacts_contacts_contact_id",
                        column: x => x.contact_id,
                        principalTable: "contacts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_message_contacts_messages_message_id",
                        column: x => x.message_id,
                        principalTable: "messages",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_api_keys_organization_id",
                table: "api_keys",
                column: "organization_id");

            migrationBuilder.CreateIndex(
                name: "ux_api_keys_hash",
                table: "api_keys",
                column: "hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_contact_addresses_organization_id_address_key",
                table: "contact_addresses",
                columns: new[] { "organization_id", "address_key" });

            migrationBuilder.CreateIndex(
                name: "ix_contact_addresses_organization_id_address_normalized",
                table: "contact_addresses",
                columns: new[] { "organization_id", "address_normalized" });

            migrationBuilder.CreateIndex(
                name: "ux_contacts_organization_id_external_id",
                table: "contacts",
                columns: new[] { "organization_id", "external_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_events_organization_id_id",
                table: "events",
                columns: new[] { "organization_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_folder_memberships_message_id",
                table: "folder_memberships",
                column: "message_id");

            migrationBuilder.CreateIndex(
                name: "ix_folder_memberships_raw_sha256",
                table: "folder_memberships",
                column: "raw_sha256");

            migrationBuilder.CreateIndex(
                name: "ux_folder_memberships_folder_id_remote_id",
                table: "folder_memberships",
                columns: new[] { "folder_id", "remote_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ux_folder_memberships_folder_id_uid",
                table: "folder_memberships",
                columns: new[] { "folder_id", "uid" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ux_folders_mailbox_id_path",
                table: "folders",
                columns: new[] { "mailbox_id", "path" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ux_folders_mailbox_id_remote_id",
                table: "folders",
                columns: new[] { "mailbox_id", "remote_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_mailbox_leases_owner",
                table: "mailbox_leases",
                column: "owner");

            migrationBuilder.CreateIndex(
                name: "ux_mailbox_leases_mailbox_id_token",
                table: "mailbox_leases",
                columns: new[] { "mailbox_id", "token" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ux_mailboxes_organization_id_name",
                table: "mailboxes",
                columns: new[] { "organization_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_message_addresses_address_key",
                table: "message_addresses",
                column: "address_key");

            migrationBuilder.CreateIndex(
                name: "ix_message_addresses_address_normalized",
                table: "message_addresses",
                column: "address_normalized");

            migrationBuilder.CreateIndex(
                name: "ix_message_contacts_contact_id_dedupe_key",
                table: "message_contacts",
                columns: new[] { "contact_id", "dedupe_key" });

            migrationBuilder.CreateIndex(
                name: "ix_message_contacts_contact_id_sort_date_message_id",
                table: "message_contacts",
                columns: new[] { "contact_id", "sort_date", "message_id" });

            migrationBuilder.CreateIndex(
                name: "ix_message_contacts_message_id",
                table: "message_contacts",
                column: "message_id");

            migrationBuilder.CreateIndex(
                name: "ix_messages_mailbox_id_date",
                table: "messages",
                columns: new[] { "mailbox_id", "date" });

            migrationBuilder.CreateIndex(
                name: "ix_messages_mailbox_id_message_id_header",
                table: "messages",
                columns: new[] { "mailbox_id", "message_id_header" });

            migrationBuilder.CreateIndex(
                name: "ix_messages_mailbox_id_provider_thread_id",
                table: "messages",
                columns: new[] { "mailbox_id", "provider_thread_id" });

            migrationBuilder.CreateIndex(
                name: "ix_messages_mailbox_id_thread_subject_date",
                table: "messages",
                columns: new[] { "mailbox_id", "thread_subject", "date" });

            migrationBuilder.CreateIndex(
                name: "ix_messages_raw_sha256",
                table: "messages",
                column: "raw_sha256");

            migrationBuilder.CreateIndex(
                name: "ix_messages_thread_id",
                table: "messages",
                column: "thread_id");

            migrationBuilder.CreateIndex(
                name: "ux_messages_mailbox_id_identity_key",
                table: "messages",
                columns: new[] { "mailbox_id", "identity_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ux_organizations_name",
                table: "organizations",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_claim_token",
                table: "outbox",
                column: "claim_token");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_mailbox_id_message_id_header",
                table: "outbox",
                columns: new[] { "mailbox_id", "message_id_header" });

            migrationBuilder.CreateIndex(
                name: "ix_outbox_mailbox_id_sent_copy",
                table: "outbox",
                columns: new[] { "mailbox_id", "sent_copy" });

            migrationBuilder.CreateIndex(
                name: "ix_outbox_state_next_attempt_at",
                table: "outbox",
                columns: new[] { "state", "next_attempt_at" });

            migrationBuilder.CreateIndex(
                name: "ux_outbox_mailbox_id_idempotency_key",
                table: "outbox",
                columns: new[] { "mailbox_id", "idempotency_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ux_skipped_memberships_folder_id_uid",
                table: "skipped_memberships",
                columns: new[] { "folder_id", "uid" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_thread_keys_thread_id",
                table: "thread_keys",
                column: "thread_id");

            migrationBuilder.CreateIndex(
                name: "ix_threads_mailbox_id_last_date",
                table: "threads",
                columns: new[] { "mailbox_id", "last_date" });

            migrationBuilder.CreateIndex(
                name: "ix_users_organization_id",
                table: "users",
                column: "organization_id");

            migrationBuilder.CreateIndex(
                name: "ux_users_external_issuer_external_subject",
                table: "users",
                columns: new[] { "external_issuer", "external_subject" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ux_users_normalized_name",
                table: "users",
                column: "normalized_name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_webhook_attempts_delivery_id_attempt",
                table: "webhook_attempts",
                columns: new[] { "delivery_id", "attempt" });

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_claim_token",
                table: "webhook_deliveries",
                column: "claim_token");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_state_next_attempt_at",
                table: "webhook_deliveries",
                columns: new[] { "state", "next_attempt_at" });

            migrationBuilder.CreateIndex(
                name: "ux_webhook_deliveries_subscription_id_event_id",
                table: "webhook_deliveries",
                columns: new[] { "subscription_id", "event_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_webhook_subscriptions_organization_id",
                table: "webhook_subscriptions",
                column: "organization_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "api_keys");

            migrationBuilder.DropTable(
                name: "attachments");

            migrationBuilder.DropTable(
                name: "cluster_secrets");

            migrationBuilder.DropTable(
                name: "contact_addresses");

            migrationBuilder.DropTable(
                name: "data_protection_keys");

            migrationBuilder.DropTable(
                name: "event_cursors");

            migrationBuilder.DropTable(
                name: "events");

            migrationBuilder.DropTable(
                name: "folder_memberships");

            migrationBuilder.DropTable(
                name: "mailbox_leases");

            migrationBuilder.DropTable(
                name: "message_addresses");

            migrationBuilder.DropTable(
                name: "message_contacts");

            migrationBuilder.DropTable(
                name: "outbox");

            migrationBuilder.DropTable(
                name: "skipped_memberships");

            migrationBuilder.DropTable(
                name: "thread_keys");

            migrationBuilder.DropTable(
                name: "users");

            migrationBuilder.DropTable(
                name: "webhook_attempts");

            migrationBuilder.DropTable(
                name: "contacts");

            migrationBuilder.DropTable(
                name: "messages");

            migrationBuilder.DropTable(
                name: "folders");

            migrationBuilder.DropTable(
                name: "webhook_deliveries");

            migrationBuilder.DropTable(
                name: "raw_mime");

            migrationBuilder.DropTable(
                name: "threads");

            migrationBuilder.DropTable(
                name: "webhook_subscriptions");

            migrationBuilder.DropTable(
                name: "mailboxes");

            migrationBuilder.DropTable(
                name: "organizations");
        }
    }
}
