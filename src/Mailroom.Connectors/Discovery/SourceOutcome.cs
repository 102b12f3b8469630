namespace Mailroom.Connectors.Discovery;

/// <summary>What became of one source in one discovery.</summary>
public enum SourceOutcome
{
    /// <summary>Its verified settings are the answer.</summary>
    Won,

    /// <summary>It had verified settings, but a source of higher precedence answered.</summary>
    LowerPrecedence,

    /// <summary>A source of higher precedence answered while it was still looking; it was stopped.</summary>
    NotNeeded,

    /// <summary>It has nothing for this domain (no table entry, no document, no record).</summary>
    NotFound,

    /// <summary>It did not answer within its time limit.</summary>
    TimedOut,

    /// <summary>It named servers, but none of them could be connected to (TCP, TLS, greeting).</summary>
    FailedToConnect,

    /// <summary>It answered with something unusable (an invalid document, a DNS error).</summary>
    Failed,
}
