namespace Mailroom.Server.View;

/// <summary>The message view (configuration section <c>View</c>).</summary>
internal sealed class ViewOptions
{
    /// <summary>How long a view link from <c>GET /v1/messages/{id}/view</c> opens the view (default 1 hour).</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromHours(1);
}
