/**
 * A Spring Boot web application that hands a chat to a person: the customer's chat over HTTP ({@link ChatController}),
 * the {@code Handoff} bean from {@code handoff-spring-boot-starter} configured in {@code application.yml}, and the
 * agent desktop ({@code handoff-desktop}) started beside it for the agents ({@link SupportChatApplication}).
 */
package dev.handoff.examples.spring;
