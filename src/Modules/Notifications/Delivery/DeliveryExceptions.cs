namespace Portal.Notifications.Delivery;

/// <summary>The SMTP server could not take the message now (unreachable, 4xx): retried with back-off.</summary>
internal sealed class TransientDeliveryException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The SMTP server refused the message for good (5xx): dead-lettered at once.</summary>
internal sealed class PermanentDeliveryException(string message, Exception? inner = null) : Exception(message, inner);
