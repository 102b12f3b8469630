namespace Mailroom.Storage.Model.Configuration;

internal sealed class UserConfiguration : IEntityTypeConfiguration<UserEntity>
{
    public void Configure(EntityTypeBuilder<UserEntity> builder)
    {
        builder.ToTable("users");
        builder.Property(x => x.Name).HasMaxLength(200);
        builder.Property(x => x.NormalizedName).HasMaxLength(200);
        builder.Property(x => x.PasswordHash).HasMaxLength(500);
        builder.Property(x => x.Role).HasMaxLength(20);
        builder.Property(x => x.SecurityStamp).HasMaxLength(64);
        // Sign-in finds a user by name alone: unique across organizations, whatever the case.
        builder.HasIndex(x => x.NormalizedName).IsUnique();
        builder.HasIndex(x => x.OrganizationId);
        builder.Property(x => x.ExternalIssuer).HasMaxLength(500);
        builder.Property(x => x.ExternalSubject).HasMaxLength(255);
        // One user per OpenID identity (issuer and subject); local users have neither (NULLs do not collide).
        builder.HasIndex(x => new { x.ExternalIssuer, x.ExternalSubject }).IsUnique();
        builder.HasOne<OrganizationEntity>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
