using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mailroom.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OAuthTokens : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "oauth_provider",
                table: "mailboxes",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "protected_access_token",
                table: "mailboxes",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "protected_refresh_token",
                table: "mailboxes",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "token_expires_at",
                table: "mailboxes",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "oauth_provider",
                table: "mailboxes");

            migrationBuilder.DropColumn(
                name: "protected_access_token",
                table: "mailboxes");

            migrationBuilder.DropColumn(
                name: "protected_refresh_token",
                table: "mailboxes");

            migrationBuilder.DropColumn(
                name: "token_expires_at",
                table: "mailboxes");
        }
    }
}
