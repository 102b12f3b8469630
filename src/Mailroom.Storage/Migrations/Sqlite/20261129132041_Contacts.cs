using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mailroom.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Contacts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "match_address_aliases",
                table: "organizations",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "address_key",
                table: "message_addresses",
                type: "TEXT",
                maxLength: 500,
                nullable: false,
                defaultValue: "");

            // Existing addresses get their alias key (ContactAddresses.AliasKey): the local part cut at '+', and Gmail
            // addresses without dots under gmail.com.
            migrationBuilder.Sql("UPDATE message_addresses SET address_key = address_normalized");
            migrationBuilder.Sql(
                "UPDATE message_addresses SET address_key = substr(address_key, 1, instr(address_key, '+') - 1) || substr(address_key, instr(address_key, '@')) " +
                "WHERE instr(address_key, '+') > 1 AND instr(address_key, '+') < instr(address_key, '@')");
            migrationBuilder.Sql(
                "UPDATE message_addresses SET address_key = replace(substr(address_key, 1, instr(address_key, '@') - 1), '.', '') || '@gmail.com' " +
                "WHERE substr(address_key, instr(address_key, '@') + 1) IN ('gmail.com', 'googlemail.com') AND instr(address_key, '@') > 1");

            migrationBuilder.AddColumn<string>(
                name: "scope",
                table: "mailboxes",
                type: "TEXT",
                maxLength: 10,
                nullable: false,
                defaultValue: "All");

            migrationBuilder.CreateTable(
                name: "contacts",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    organization_id = table.Column<long>(type: "INTEGER", nullable: false),
                    external_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
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
                name: "skipped_memberships",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    folder_id = table.Column<long>(type: "INTEGER", nullable: false),
                    uid = table.Column<long>(type: "INTEGER", nullable: false),
                    flags = table.Column<int>(type: "INTEGER", nullable: false),
                    keywords = table.Column<string>(type: "TEXT", nullable: false),
                    skipped_at = table.Column<long>(type: "INTEGER", nullable: false)
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
                name: "contact_addresses",
                columns: table => new
                {
                    contact_id = table.Column<long>(type: "INTEGER", nullable: false),
                    address_normalized = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    organization_id = table.Column<long>(type: "INTEGER", nullable: false),
                    address_key = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false)
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
                name: "message_contacts",
                columns: table => new
                {
                    contact_id = table.Column<long>(type: "INTEGER", nullable: false),
                    message_id = table.Column<long>(type: "INTEGER", nullable: false),
                    roles = table.Column<int>(type: "INTEGER", nullable: false),
                    mailbox_id = table.Column<long>(type: "INTEGER", nullable: false),
                    sort_date = table.Column<long>(type: "INTEGER", nullable: false),
                    dedupe_key = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false)
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
                name: "ix_message_addresses_address_key",
                table: "message_addresses",
                column: "address_key");

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
                name: "ux_skipped_memberships_folder_id_uid",
                table: "skipped_memberships",
                columns: new[] { "folder_id", "uid" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "contact_addresses");

            migrationBuilder.DropTable(
                name: "message_contacts");

            migrationBuilder.DropTable(
                name: "skipped_memberships");

            migrationBuilder.DropTable(
                name: "contacts");

            migrationBuilder.DropIndex(
                name: "ix_message_addresses_address_key",
                table: "message_addresses");

            migrationBuilder.DropColumn(
                name: "match_address_aliases",
                table: "organizations");

            migrationBuilder.DropColumn(
                name: "address_key",
                table: "message_addresses");

            migrationBuilder.DropColumn(
                name: "scope",
                table: "mailboxes");
        }
    }
}
