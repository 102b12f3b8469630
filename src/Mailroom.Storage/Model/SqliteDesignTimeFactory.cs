using Microsoft.EntityFrameworkCore.Design;

namespace Mailroom.Storage.Model;

/// <summary>For <c>dotnet ef migrations add X --context SqliteMailroomDbContext --output-dir Migrations/Sqlite</c>.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteMailroomDbContext>
{
    public SqliteMailroomDbContext CreateDbContext(string[] args) =>
        new(MailroomContextFactory.ConfigureSqlite(new DbContextOptionsBuilder<SqliteMailroomDbContext>(), "Data Source=design-time.db").Options);
}
