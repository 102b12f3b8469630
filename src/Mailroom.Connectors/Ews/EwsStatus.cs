namespace Mailroom.Connectors.Ews;

/// <summary>
/// The outcome of one response message (ResponseClass, ResponseCode, MessageText) or of a SOAP fault (faultstring and
/// the ResponseCode of its detail). <see cref="BackOff"/> is Exchange's BackOffMilliseconds, when it gave one.
/// </summary>
internal sealed record EwsStatus(string ResponseClass, string ResponseCode, string? MessageText, TimeSpan? BackOff)
{
    /// <summary>Warning answers carry their content too (a partial result is still a result).</summary>
    public bool IsSuccess => ResponseClass != "Error";

    public override string ToString() => MessageText is { Length: > 0 } text ? $"{ResponseCode} ({text})" : ResponseCode;
}
