using Alba;
using Portal.Contracts;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Insurance;

public sealed class CardPhotoTests(PortalFixture fixture) : InsuranceTest(fixture)
{
    private async Task<(ProviderActor Provider, ClientActor Client)> ClientWithPlanAsync()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        await ClientAddsPrimaryPlanAsync(client);
        return (provider, client);
    }

    [Fact]
    public async Task A_client_uploads_both_sides_and_each_upload_publishes_one_update()
    {
        var (_, client) = await ClientWithPlanAsync();

        var (front, _) = await TrackedScenario(s =>
        {
            s.As(client);
            s.Post.MultipartFormData(InsuranceApi.Photo(CardPictures.Png, "front.png", 1)).ToUrl("/api/insurance/plans/primary/photos/front");
            s.StatusCodeShouldBeOk();
        });
        front.Published().ShouldHaveSingleItem().Change.ShouldBe(InsuranceChange.Updated);
        await TrackedScenario(s =>
        {
            s.As(client);
            s.Post.MultipartFormData(InsuranceApi.Photo(CardPictures.Jpeg, "back.jpg", 2, "image/jpeg"))
                .ToUrl("/api/insurance/plans/primary/photos/back");
            s.StatusCodeShouldBeOk();
        });

        var plan = (await Host.MineAsync(client)).Primary!;
        plan.FrontPhotoUrl.ShouldNotBeNull();
        plan.BackPhotoUrl.ShouldNotBeNull();
        var photo = await Host.Scenario(s =>
        {
            s.As(client);
            s.Get.Url(plan.FrontPhotoUrl);
            s.StatusCodeShouldBeOk();
            s.ContentTypeShouldBe("image/png");
        });
        (await photo.BytesAsync()).ShouldBe(CardPictures.Png);
    }

    [Fact]
    public async Task An_upload_named_like_a_PNG_that_is_not_an_image_is_refused_and_nothing_is_stored()
    {
        var (_, client) = await ClientWithPlanAsync();
        var script = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"u8.ToArray();

        var (tracked, result) = await TrackedScenario(s =>
        {
            s.As(client);
            s.Post.MultipartFormData(InsuranceApi.Photo(script, "card.png", 1)).ToUrl("/api/insurance/plans/primary/photos/front");
            s.StatusCodeShouldBe(400);
        });

        (await result.ReadAsTextAsync()).ShouldContain("not a JPEG or PNG");
        tracked.Published().ShouldBeEmpty();
        var insurance = await Host.MineAsync(client);
        insurance.Version.ShouldBe(1);
        insurance.Primary!.FrontPhotoUrl.ShouldBeNull();
    }

    [Fact]
    public async Task Another_provider_cannot_read_the_card_photos_but_the_clients_own_provider_can()
    {
        var (provider, client) = await ClientWithPlanAsync();
        var other = await Host.NewProviderAsync(support: provider.Support);
        await TrackedScenario(s =>
        {
            s.As(client);
            s.Post.MultipartFormData(InsuranceApi.Photo(CardPictures.Png, "front.png", 1)).ToUrl("/api/insurance/plans/primary/photos/front");
            s.StatusCodeShouldBeOk();
        });
        var url = (await Host.MineAsync(client)).Primary!.FrontPhotoUrl!;

        await Host.Scenario(s =>
        {
            s.As(other);
            s.Get.Url(url);
            s.StatusCodeShouldBe(404);
        });
        // Support without a break-glass grant is told the photo is health information it must record a reason to open.
        await Host.Scenario(s =>
        {
            s.As(provider.Support);
            s.Get.Url(url);
            s.StatusCodeShouldBe(403);
            s.ContentShouldContain("Health information is hidden from support");
        });
        await Host.Scenario(s =>
        {
            s.Get.Url(url);
            s.StatusCodeShouldBe(401);
        });
        await Host.Scenario(s =>
        {
            s.As(provider);
            s.Get.Url(url);
            s.StatusCodeShouldBeOk();
        });
    }

    [Fact]
    public async Task The_GPS_position_and_comments_are_removed_from_an_uploaded_JPEG_and_its_orientation_is_kept()
    {
        var (provider, client) = await ClientWithPlanAsync();
        var upload = CardPictures.JpegWithGpsPosition();
        CardPictures.Contains(upload, CardPictures.GpsLatitudeRationals).ShouldBeTrue();

        await TrackedScenario(s =>
        {
            s.As(client);
            s.Post.MultipartFormData(InsuranceApi.Photo(upload, "IMG_2041.JPG", 1, "image/jpeg")).ToUrl("/api/insurance/plans/primary/photos/front");
            s.StatusCodeShouldBeOk();
        });
        var url = (await Host.OfClientAsync(provider, client.ClientId)).Primary!.FrontPhotoUrl!;
        var served = await (await Host.Scenario(s =>
        {
            s.As(provider);
            s.Get.Url(url);
            s.StatusCodeShouldBeOk();
            s.ContentTypeShouldBe("image/jpeg");
        })).BytesAsync();

        CardPictures.Contains(served, CardPictures.GpsLatitudeRationals).ShouldBeFalse();
        CardPictures.Contains(served, [0x88, 0x25]).ShouldBeFalse("the GPS IFD pointer tag");
        CardPictures.Contains(served, System.Text.Encoding.ASCII.GetBytes(CardPictures.Comment)).ShouldBeFalse();
        // The picture itself is untouched: every byte of the original (without the added blocks) follows in order.
        served[..2].ShouldBe(new byte[] { 0xFF, 0xD8 });
        served[^2..].ShouldBe(new byte[] { 0xFF, 0xD9 });
        CardPictures.Contains(served, CardPictures.Jpeg[2..]).ShouldBeFalse("a fresh EXIF block with the orientation sits after JFIF");
        CardPictures.Contains(served, CardPictures.Jpeg[20..]).ShouldBeTrue();
        // Orientation 6 survives in an EXIF block that holds nothing else.
        CardPictures.Contains(served, [0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06]).ShouldBeTrue();
    }
}
