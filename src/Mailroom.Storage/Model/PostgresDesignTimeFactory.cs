using Microsoft.EntityFrameworkCore.Design;

namespace Mailroom.Storage.Model;

/// <summary>
/// For <c>dotnet ef migrations add X --context PostgresMailroomDbContext --output-dir Migrations/Postgres</c>.
/// Adding a migration needs no server; the connection string is only a placeholder.
/// </summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresMailroomDbContext>
{
    public PostgresMailroomDbContext CreateDbContext(string[] args) =>
        new(MailroomContextFactory.ConfigurePostgres(
            new DbContextOptionsBuilder<PostgresMailroomDbContext>(), "Host=localhost;Database=mailroom_design").Options);
}
