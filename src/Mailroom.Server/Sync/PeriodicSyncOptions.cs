namespace Mailroom.Server.Sync;

/// <summary>How <c>mailroom serve</c> schedules syncs. Section <c>Serve</c>.</summary>
internal sealed class PeriodicSyncOptions
{
    /// <summary>Time between the end of one round over all mailboxes and the start of the next.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(2);
}
