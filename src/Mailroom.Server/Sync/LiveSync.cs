using Mailroom.Core.Sync;

namespace Mailroom.Server.Sync;

/// <summary>A running (or just finished) sync: its last progress, when it started and when it last reported.</summary>
internal sealed record LiveSync(SyncProgress Progress, DateTimeOffset StartedAt, DateTimeOffset UpdatedAt)
{
    public bool Finished => Progress.MessagesDone >= Progress.MessagesTotal;

    /// <summary>Messages per second since the start; null before there is anything to divide.</summary>
    public double? Rate
    {
        get
        {
            var seconds = (UpdatedAt - StartedAt).TotalSeconds;
            return seconds > 0.5 && Progress.MessagesDone > 0 ? Progress.MessagesDone / seconds : null;
        }
    }

    /// <summary>Time left at the rate so far; null while the rate is unknown.</summary>
    public TimeSpan? Remaining => Rate is { } rate && rate > 0
        ? TimeSpan.FromSeconds((Progress.MessagesTotal - Progress.MessagesDone) / rate)
        : null;
}
