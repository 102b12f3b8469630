namespace Mailroom.Connectors.Ews;

/// <summary>A read SOAP answer: a fault, or one status and content per response message, in request order.</summary>
internal sealed record EwsEnvelope(EwsStatus? Fault, IReadOnlyList<(EwsStatus Status, EwsContent Content)> Messages)
{
    /// <summary>The answer to a one-message request, or the fault, as one status.</summary>
    public EwsStatus FirstStatus => Fault ?? (Messages.Count > 0 ? Messages[0].Status : new EwsStatus("Error", "ErrorNoResponseMessage", "the answer has no response message", null));
}
