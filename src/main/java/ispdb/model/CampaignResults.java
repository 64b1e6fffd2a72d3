package ispdb.model;

/** Campaign outcomes of one customer type's latest predictions: successes, and outcomes known (not null). */
public record CampaignResults(String customerType, long campaign1Success, long campaign1Known,
        long campaign2Success, long campaign2Known) {
}
