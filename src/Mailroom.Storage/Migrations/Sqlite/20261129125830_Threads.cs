using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mailroom.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Threads : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "thread_id",
                table: "messages",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "thread_reason",
                table: "messages",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "thread_subject",
                table: "messages",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "threads",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    mailbox_id = table.Column<long>(type: "INTEGER", nullable: false),
                    subject = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    message_count = table.Column<int>(type: "INTEGER", nullable: false),
                    first_date = table.Column<long>(type: "INTEGER", nullable: true),
                    last_date = table.Column<long>(type: "INTEGER", nullable: true)
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
                name: "thread_keys",
                columns: table => new
                {
                    mailbox_id = table.Column<long>(type: "INTEGER", nullable: false),
                    key = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    thread_id = table.Column<long>(type: "INTEGER", nullable: false)
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

            migrationBuilder.CreateIndex(
                name: "ix_messages_mailbox_id_thread_subject",
                table: "messages",
                columns: new[] { "mailbox_id", "thread_subject" });

            migrationBuilder.CreateIndex(
                name: "ix_messages_thread_id",
                table: "messages",
                column: "thread_id");

            migrationBuilder.CreateIndex(
                name: "ix_thread_keys_thread_id",
                table: "thread_keys",
                column: "thread_id");

            migrationBuilder.CreateIndex(
                name: "ix_threads_mailbox_id_last_date",
                table: "threads",
                columns: new[] { "mailbox_id", "last_date" });

            migrationBuilder.AddForeignKey(
                name: "fk_messages_threads_thread_id",
                table: "messages",
                column: "thread_id",
                principalTable: "threads",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_messages_threads_thread_id",
                table: "messages");

            migrationBuilder.DropTable(
                name: "thread_keys");

            migrationBuilder.DropTable(
                name: "threads");

            migrationBuilder.DropIndex(
                name: "ix_messages_mailbox_id_thread_subject",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "ix_messages_thread_id",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "thread_id",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "thread_reason",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "thread_subject",
                table: "messages");
        }
    }
}
