package dev.kitetoken.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.kitetoken.support.KiteTestEnvironment;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(KiteTestEnvironment.class)
class HealthTest {

    @Inject
    RedisDataSource redis;

    @Test
    void healthLivesOnTheManagementPortNotThePublicOne() {
        given().get("/q/health/ready").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(404);
    }

    @Test
    void readyWithoutATokenSoPodsCanReceiveTheLoginCallback() {
        redis.flushall();
        given().get(KiteTestEnvironment.MANAGEMENT_URL + "/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", not(hasItems("Redis connection health check")));
        given().get(KiteTestEnvironment.MANAGEMENT_URL + "/q/health/group/dependencies").then().statusCode(200)
                .body("status", equalTo("UP")).body("checks.name", hasItems("Redis answers", "Redis events subscription"));
        given().get(KiteTestEnvironment.MANAGEMENT_URL + "/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get(KiteTestEnvironment.MANAGEMENT_URL + "/q/health/started").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("First contact with Redis"));
    }
}
