namespace Mailroom.Core.Html;

/// <summary>What the email policy removed, blocked or recognised in one message, and why.</summary>
/// <remarks>Counts are per kind; <see cref="Findings"/> keeps the first few hundred details for a person to read.</remarks>
public sealed class PrivacyReport
{
    private const int MaxFindings = 500;
    private readonly Dictionary<PrivacyFindingKind, int> _counts = [];
    private readonly List<PrivacyFinding> _findings = [];

    /// <summary>How many findings of each kind (kinds with none are absent).</summary>
    public IReadOnlyDictionary<PrivacyFindingKind, int> Counts => _counts;

    /// <summary>The findings, in document order, at most 500.</summary>
    public IReadOnlyList<PrivacyFinding> Findings => _findings;

    /// <summary>Remote resources (images, backgrounds, styles, fonts, media) that were not loaded.</summary>
    public int RemoteContentBlocked => Count(PrivacyFindingKind.RemoteContentBlocked);

    /// <summary>Remote images that go through the image proxy because the viewer allowed remote content.</summary>
    public int RemoteContentProxied => Count(PrivacyFindingKind.RemoteContentProxied);

    /// <summary>Tracking pixels removed (never loaded, not even through the proxy).</summary>
    public int TrackingPixels => Count(PrivacyFindingKind.TrackingPixel);

    /// <summary>Links that go through a click tracker or carry tracking parameters (kept, reported).</summary>
    public int TrackedLinks => Count(PrivacyFindingKind.TrackedLink);

    /// <summary>The number of findings of <paramref name="kind"/>.</summary>
    public int Count(PrivacyFindingKind kind) => _counts.GetValueOrDefault(kind);

    internal void Add(PrivacyFindingKind kind, string what, string? url = null)
    {
        _counts[kind] = _counts.GetValueOrDefault(kind) + 1;
        if (_findings.Count < MaxFindings)
            _findings.Add(new PrivacyFinding(kind, what, url));
    }
}
