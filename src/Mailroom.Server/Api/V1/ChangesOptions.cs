namespace Mailroom.Server.Api.V1;

/// <summary>The changes feed (configuration section <c>Changes</c>).</summary>
internal sealed class ChangesOptions
{
    /// <summary>Longest long-poll a client may ask for with <c>wait</c> (default 60 s).</summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// While a long-poll waits, how often it looks at the database for events committed by other processes sharing
    /// it (commits in this process wake it at once). Default 1 s.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Events per page unless the client asks for fewer or more (default 100, at most 1000).</summary>
    public int DefaultLimit { get; set; } = 100;

    public const int MaxLimit = 1000;

    public ChangesOptions Validate()
    {
        if (MaxWait < TimeSpan.Zero || PollInterval <= TimeSpan.Zero || DefaultLimit is < 1 or > MaxLimit)
            throw new InvalidOperationException($"Changes:MaxWait must not be negative, Changes:PollInterval must be positive, Changes:DefaultLimit between 1 and {MaxLimit}.");
        return this;
    }
}
