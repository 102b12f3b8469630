namespace Mailroom.Core.Threading;

/// <summary>Threading settings (<c>Threading</c> in configuration).</summary>
public sealed class ThreadingOptions
{
    /// <summary>The subject rule joins messages at most this far apart (by Date).</summary>
    public TimeSpan SubjectWindow { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Whether messages without usable references may join a thread by subject (the guarded subject rule). Off,
    /// threads are made by references and provider thread ids only.
    /// </summary>
    public bool SubjectJoins { get; set; } = true;
}
