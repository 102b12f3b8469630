using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mailroom.Storage.Migrations.Sqlite
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
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "protected_access_token",
                table: "mailboxes",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "protected_refresh_token",
                table: "mailboxes",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "token_expires_at",
                table: "mailboxes",
                type: "INTEGER",
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
