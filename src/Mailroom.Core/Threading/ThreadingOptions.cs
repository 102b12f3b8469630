namespace Mailroom.Core.Threading;

/// <summary>Threading settings (<c>Threading</c> in configuration).</summary>
public sealed class ThreadingOptions
{
    /// <summary>The subject rule joins messages at most this far apart (by Date).</summary>
    public TimeSpan SubjectWindow { get; set; } = TimeSpan.FromDays(30);
}
