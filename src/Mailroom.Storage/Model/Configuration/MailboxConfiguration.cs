using Mailroom.Core.Accounts;

namespace Mailroom.Storage.Model.Configuration;

internal sealed class MailboxConfiguration : IEntityTypeConfiguration<MailboxEntity>
{
    public void Configure(EntityTypeBuilder<MailboxEntity> builder)
    {
        builder.ToTable("mailboxes");
        builder.Property(x => x.Name).HasMaxLength(200);
        builder.Property(x => x.Protocol).HasConversion(MailboxText.ProtocolConverter).HasMaxLength(20);
        builder.Property(x => x.Host).HasMaxLength(255);
        builder.Property(x => x.Address).HasMaxLength(320);
        builder.Property(x => x.Security).HasConversion<string>().HasMaxLength(20);
        builder.Property(x => x.State).HasConversion(MailboxText.StateConverter).HasMaxLength(20);
        builder.Property(x => x.OAuthProvider).HasMaxLength(100);
        builder.Property(x => x.ServiceUrl).HasMaxLength(2000);
        builder.Property(x => x.EwsAuthentication).HasConversion<string>().HasMaxLength(10);
        builder.Property(x => x.Scope).HasConversion<string>().HasMaxLength(10).HasDefaultValue(MailboxScope.All).HasSentinel((MailboxScope)(-1));
        builder.Property(x => x.SmtpHost).HasMaxLength(255);
        builder.Property(x => x.SmtpSecurity).HasConversion<string>().HasMaxLength(20);
        builder.Property(x => x.SentFiling).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(x => new { x.OrganizationId, x.Name }).IsUnique();
        builder.HasOne<OrganizationEntity>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
