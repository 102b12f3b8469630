using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mailroom.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SyncState : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "provider_thread_id",
                table: "messages",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "gmail_label",
                table: "folders",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "last_error",
                table: "folders",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "last_error_at",
                table: "folders",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "remote_count",
                table: "folders",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "remote_id",
                table: "folder_memberships",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_messages_mailbox_id_provider_thread_id",
                table: "messages",
                columns: new[] { "mailbox_id", "provider_thread_id" });

            migrationBuilder.CreateIndex(
                name: "ux_folder_memberships_folder_id_remote_id",
                table: "folder_memberships",
                columns: new[] { "folder_id", "remote_id" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_messages_mailbox_id_provider_thread_id",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "ux_folder_memberships_folder_id_remote_id",
                table: "folder_memberships");

            migrationBuilder.DropColumn(
                name: "provider_thread_id",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "gmail_label",
                table: "folders");

            migrationBuilder.DropColumn(
                name: "last_error",
                table: "folders");

            migrationBuilder.DropColumn(
                name: "last_error_at",
                table: "folders");

            migrationBuilder.DropColumn(
                name: "remote_count",
                table: "folders");

            migrationBuilder.DropColumn(
                name: "remote_id",
                table: "folder_memberships");
        }
    }
}
