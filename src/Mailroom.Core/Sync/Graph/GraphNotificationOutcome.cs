namespace Mailroom.Core.Sync.Graph;

/// <summary>What became of one notification that reached Mailroom.</summary>
public enum GraphNotificationOutcome
{
    /// <summary>Of a live subscription, with its clientState: the mailbox's worker is woken.</summary>
    Accepted,

    /// <summary>Of no subscription this process holds (an old one, or a forgery): ignored.</summary>
    UnknownSubscription,

    /// <summary>The clientState is not the subscription's: not from Graph, ignored.</summary>
    WrongClientState,
}
