using JasperFx.Events.Projections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portal.Autopay.Accounts;
using Portal.Autopay.Charges;
using Portal.Autopay.Gateway;
using Portal.Autopay.Roster;
using Portal.Autopay.Payments;
using Portal.Autopay.SandboxGateway;
using Portal.Autopay.StripeGateway;
using Stripe;
using Portal.BuildingBlocks.Modules;

namespace Portal.Autopay;

/// <summary>
/// Autopay: a card on file (processor token only) with consent, charges with idempotency keys and next-day retries,
/// suspension after three failures or an expired card. The sandbox processor keeps its own vault in the
/// <see cref="SandboxSchema"/> schema, apart from the module's data, so a real processor can replace it.
/// </summary>
public sealed class AutopayModule : IPortalModule
{
    public const string SandboxSchema = "sandbox_gateway";

    public string Name => "autopay";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(new NavigationLink(PortalArea.Client, "Autopay", "/portal/autopay", 40));

        // The host refused the start already if this configuration is wrong for its environment (Program.cs).
        var payments = PaymentsConfiguration.Read(configuration, isProduction: false);
        services.AddSingleton(payments);
        if (payments.Stripe is { } stripe)
        {
            // One client for the process (it is thread-safe); its own retries reuse the request's idempotency key.
            var http = new SystemNetHttpClient(new HttpClient { Timeout = TimeSpan.FromSeconds(30) }, maxNetworkRetries: 2);
            services.AddSingleton<IStripeClient>(new StripeClient(
                stripe.SecretKey, httpClient: http, apiBase: stripe.ApiBase ?? StripeClient.DefaultApiBase));
            services.AddScoped<IPaymentGateway, StripePaymentGateway>();
        }
        else
        {
            services.AddScoped<IPaymentGateway, SandboxPaymentGateway>();
        }
    }

    public void ConfigureMarten(StoreOptions options)
    {
        options.Schema.For<AutopayClient>().DatabaseSchemaName(Name);
        options.Schema.For<AutopayAccount>().DatabaseSchemaName(Name);
        options.Schema.For<AutopayCharge>().DatabaseSchemaName(Name).Index(c => c.ClientId).Index(c => c.GatewayReference);
        options.Schema.For<StripeCustomerLink>().DatabaseSchemaName(Name);
        options.Schema.For<StripeWebhookEvent>().DatabaseSchemaName(Name);
        options.Projections.Snapshot<AutopayAccount>(SnapshotLifecycle.Inline);
        options.Events.AddEventType<AutopayEnrolled>();
        options.Events.AddEventType<AutopayCardUpdated>();
        options.Events.AddEventType<AutopayCancelled>();
        options.Events.AddEventType<AutopaySuspended>();
        options.Events.AddEventType<AutopayChargeSucceeded>();
        options.Events.AddEventType<AutopayChargeFailed>();
        options.Events.AddEventType<AutopayCardExpiryReminded>();
        options.Events.AddEventType<AutopayChargeRefunded>();
        options.Events.AddEventType<AutopayChargeDisputed>();
        options.Events.AddEventType<AutopayCardRefreshed>();
        options.Events.AddEventType<AutopayCardRemovedAtProcessor>();

        options.Schema.For<SandboxCardToken>().DatabaseSchemaName(SandboxSchema);
        options.Schema.For<SandboxCustomer>().DatabaseSchemaName(SandboxSchema);
        options.Schema.For<SandboxCharge>().DatabaseSchemaName(SandboxSchema);
        options.Schema.For<SandboxRefund>().DatabaseSchemaName(SandboxSchema);
    }

    public void ConfigureWolverine(WolverineOptions options)
    {
        // The processor is replaceable and its implementation internal: Wolverine resolves it from the container.
        options.CodeGeneration.AlwaysUseServiceLocationFor<IPaymentGateway>();
    }
}
