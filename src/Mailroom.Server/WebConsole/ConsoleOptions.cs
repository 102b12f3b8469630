namespace Mailroom.Server.WebConsole;

/// <summary>The console's sign-in settings (section <c>Console</c>).</summary>
internal sealed class ConsoleOptions
{
    /// <summary>Failed sign-ins in a row that lock a user out.</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked-out user cannot sign in (a new password ends it at once).</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a session lasts without a request (sliding).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    public ConsoleOptions Validate()
    {
        if (MaxFailedSignIns is < 1 or > 100)
            throw new InvalidOperationException($"Console:MaxFailedSignIns must be between 1 and 100 (was {MaxFailedSignIns}).");
        if (LockoutDuration <= TimeSpan.Zero || SessionLifetime <= TimeSpan.Zero)
            throw new InvalidOperationException("Console:LockoutDuration and Console:SessionLifetime must be positive.");
        return this;
    }
}
