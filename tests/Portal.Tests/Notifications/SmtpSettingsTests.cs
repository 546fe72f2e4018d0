using Microsoft.Extensions.Configuration;
using Portal.Notifications.Delivery;
using Shouldly;

namespace Portal.Tests.Notifications;

/// <summary>The "Smtp" section as each email reads it at send time.</summary>
public sealed class SmtpSettingsTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void Every_setting_the_operator_gives_is_used()
    {
        var settings = SmtpSettings.Read(Configuration(("Smtp:Host", "mail.example.org"), ("Smtp:Port", "2525"), ("Smtp:TlsMode", "SslOnConnect"),
            ("Smtp:Username", "portal"), ("Smtp:Password", "s3cret"), ("Smtp:From", "Practice <hello@practice.example>")));

        settings.Host.ShouldBe("mail.example.org");
        settings.Port.ShouldBe(2525);
        settings.SecureSocketOptions.ShouldBe(MailKit.Security.SecureSocketOptions.SslOnConnect);
        settings.Username.ShouldBe("portal");
        settings.Password.ShouldBe("s3cret");
        settings.Sender.Address.ShouldBe("hello@practice.example");
        settings.MessageIdDomain.ShouldBe("practice.example");
    }

    [Fact]
    public void Settings_left_out_or_left_empty_have_their_defaults()
    {
        var settings = SmtpSettings.Read(Configuration(("Smtp:Host", "localhost"), ("Smtp:Port", ""), ("Smtp:From", "")));

        settings.Port.ShouldBe(25);
        settings.SecureSocketOptions.ShouldBe(MailKit.Security.SecureSocketOptions.Auto);
        settings.Username.ShouldBeNull();
        settings.Sender.Address.ShouldBe("no-reply@portal.localhost");
    }

    [Theory]
    [InlineData("smtp")]
    [InlineData("0")]
    [InlineData("70000")]
    public void A_port_that_is_not_a_port_number_is_refused_with_its_name(string port)
    {
        var refusal = Should.Throw<InvalidOperationException>(() => SmtpSettings.Read(Configuration(("Smtp:Port", port))));
        refusal.Message.ShouldContain("Smtp:Port");
    }
}
