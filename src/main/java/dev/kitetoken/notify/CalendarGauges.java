package dev.kitetoken.notify;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * What the service knows of the trading calendar, for alerting rules: whether today is a trading day (weekdays,
 * holidays and special sessions as configured) and how far the market open is. An alert then needs no copy of
 * the calendar in PromQL (k8s/monitoring).
 */
@ApplicationScoped
class CalendarGauges {

    void register(@Observes StartupEvent event, MeterRegistry registry, ReminderSchedule schedule, Clock clock) {
        Gauge.builder("kite.trading.day", () -> schedule.isTradingDay(clock.instant()) ? 1 : 0)
                .description("1 on a trading day (KITE_TRADING_DAYS, KITE_HOLIDAYS, KITE_SPECIAL_SESSIONS, in KITE_EXPIRY_ZONE), else 0")
                .register(registry);
        Gauge.builder("kite.until.market.open.seconds", () -> schedule.secondsUntilMarketOpen(clock.instant()))
                .description("Seconds until KITE_MARKET_OPEN today, negative once the market has opened")
                .register(registry);
    }
}
