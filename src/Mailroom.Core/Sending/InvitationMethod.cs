namespace Mailroom.Core.Sending;

/// <summary>The iTIP method of an invitation (RFC 5546).</summary>
public enum InvitationMethod
{
    /// <summary>A new invitation, or an update of one (same UID, higher SEQUENCE).</summary>
    Request = 0,

    /// <summary>The event is cancelled (same UID, higher SEQUENCE, STATUS:CANCELLED).</summary>
    Cancel = 1,
}
