using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Mailroom.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Outbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "sent_filing",
                table: "mailboxes",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "smtp_host",
                table: "mailboxes",
                type: "character varying(255)",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "smtp_port",
                table: "mailboxes",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "smtp_security",
                table: "mailboxes",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "smtp_user_name",
                table: "mailboxes",
                type: "text",
                nullable: true);

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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "outbox");

            migrationBuilder.DropColumn(
                name: "sent_filing",
                table: "mailboxes");

            migrationBuilder.DropColumn(
                name: "smtp_host",
                table: "mailboxes");

            migrationBuilder.DropColumn(
                name: "smtp_port",
                table: "mailboxes");

            migrationBuilder.DropColumn(
                name: "smtp_security",
                table: "mailboxes");

            migrationBuilder.DropColumn(
                name: "smtp_user_name",
                table: "mailboxes");
        }
    }
}
