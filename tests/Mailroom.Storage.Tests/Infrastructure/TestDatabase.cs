using Mailroom.Core.Storage;
using Mailroom.Storage.Queries;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Mailroom.Storage.Tests.Infrastructure;

/// <summary>
/// A fresh, migrated database for one test class (a class fixture), with the stores over it. Tests of a class share
/// it, so each test makes its own organization and mailbox and counts only within them.
/// </summary>
public abstract class TestDatabase : IAsyncLifetime
{
    private ServiceProvider? _services;

    public static readonly DateTimeOffset Start = new(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Time { get; } = new(Start);

    /// <summary>Why this provider cannot be tested here, or null.</summary>
    public abstract string? SkipReason { get; }

    public StorageOptions Options { get; private set; } = null!;

    public IServiceProvider Services
    {
        get
        {
            if (SkipReason is { } reason)
                Assert.Skip(reason);
            return _services!;
        }
    }

    public IMessageStore Messages => Services.GetRequiredService<IMessageStore>();

    public IAccountStore Accounts => Services.GetRequiredService<IAccountStore>();

    public StoreInspector Inspector => Services.GetRequiredService<StoreInspector>();

    public async ValueTask InitializeAsync()
    {
        if (SkipReason is not null)
            return;
        Options = await CreateDatabaseAsync();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddMailroomStorage(Options);
        _services = services.BuildServiceProvider();
        await DatabaseInitializer.MigrateAsync(_services, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
            await _services.DisposeAsync();
        if (Options is not null)
            await DropDatabaseAsync(Options);
        GC.SuppressFinalize(this);
    }

    /// <summary>Options for a new, empty database (not migrated).</summary>
    public abstract Task<StorageOptions> CreateDatabaseAsync();

    /// <summary>Options for a database that does not exist yet (nor, for SQLite, its data folder).</summary>
    public abstract StorageOptions MissingDatabase();

    public abstract Task DropDatabaseAsync(StorageOptions options);
}
